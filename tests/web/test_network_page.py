"""The network page: the link chart and tables around an identity or a case, as the reader may see.

Both databases (the `client`/`seeded` fixtures are parametrised): a shared phone ties two
people's cases; a SECRET case with the same phone stays out for the desk officer, nothing of it
on the page; partners are refused; bad input is a 4xx naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from tests.services.graph.test_graph import _network


def _page(client: Any, h: dict[str, str], query: str) -> Any:
    return client.get(f"/w/network?{query}", headers=h)


def test_the_phone_ties_two_cases_together_on_the_chart_and_in_the_tables(client, seeded):
    net = _network(client, seeded)
    desk = seeded.headers("desk")
    r = _page(client, desk, f"identity={net['lucia']}")
    assert r.status_code == 200, r.text
    html = r.text
    svg = html[html.index("<svg") : html.index("</svg>")]
    # Lucia at the centre, her case on the inner ring, the phone and nothing hidden.
    for href in (f"/w/identities/{net['lucia']}", f"/w/cases/{net['a']}", f"/w/identities/{net['phone']}"):
        assert f'href="{href}"' in svg
    assert "Lucia Ferrer" in svg and "+34 612 345 678" in svg
    # Around the phone: both people's cases, and the phone is what ties them.
    r = _page(client, desk, f"identity={net['phone']}")
    shared = r.text[r.text.index('id="h-shared"') : r.text.index('id="h-nodes"')]
    assert "+34 612 345 678" in shared and "phone" in shared
    assert f'/w/cases/{net["a"]}"' in shared and f'/w/cases/{net["b"]}"' in shared
    # Around Lucia's case: Tomas's case is reached through the phone (links table).
    r = _page(client, desk, f"case={net['a']}")
    assert r.status_code == 200, r.text
    links = r.text[r.text.index('id="h-links"') :]
    rows = re.findall(r"<tr><td><a[^>]*>([^<]+)</a></td><td>([^<]+)</td><td><a[^>]*>([^<]+)</a>", links)
    assert ("+34 612 345 678", "phone", net["b"]) in rows
    assert ("Lucia Ferrer", "person", net["a"]) in rows
    for body in (_page(client, desk, f"identity={net['phone']}").text, r.text):
        assert "Heron" not in body and net["hidden"] not in body
    # The supervisor, cleared for it, sees the SECRET case on the same chart.
    sup = _page(client, seeded.headers("supervisor"), f"identity={net['phone']}").text
    assert f'href="/w/cases/{net["hidden"]}"' in sup
    # The person and case pages link here.
    person = client.get(f"/w/identities/{net['lucia']}", headers=desk).text
    assert f'href="/w/network?identity={net["lucia"]}"' in person
    case = client.get(f"/w/cases/{net['a']}", headers=desk).text
    assert f'href="/w/network?case={net["a"]}"' in case


def test_hidden_unknown_and_bad_input_answer_4xx_without_leaking(client, seeded):
    net = _network(client, seeded)
    desk = seeded.headers("desk")
    r = _page(client, desk, f"case={net['hidden']}")
    assert r.status_code == 404 and "Heron" not in r.text
    assert _page(client, desk, "identity=999999").status_code == 404
    for query, field in (
        ("identity=abc", "identity"),
        ("identity=1.5", "identity"),
        ("", "identity"),
        (f"identity=1&case={net['a']}", "identity"),
    ):
        r = _page(client, desk, query)
        assert r.status_code == 422, (query, r.text)
        assert field in r.text and "Traceback" not in r.text
    for user in ("partner", "rcmp"):
        for query in (f"identity={net['phone']}", f"case={net['a']}"):
            r = _page(client, seeded.headers(user), query)
            assert r.status_code == 403, (user, query)
            assert "Lucia" not in r.text and "+34 612" not in r.text
        case = client.get(f"/w/cases/{net['a']}", headers=seeded.headers(user)).text
        assert "/w/network" not in case


def test_people_reached_at_the_second_hop_are_drawn(client, seeded):
    """Around Lucia's case: the phone (ring 1) leads to Tomas's case (ring 2), and Tomas, who
    is in no case with Lucia, is drawn on the outer ring; the SECRET case's person never is."""
    net = _network(client, seeded)
    for user in ("desk", "supervisor"):
        html = _page(client, seeded.headers(user), f"case={net['a']}").text
        svg = html[html.index("<svg") : html.index("</svg>")]
        assert f'href="/w/identities/{net["tomas"]}"' in svg and "Tomas Ruiz" in svg, user
        nodes = html[html.index('id="h-nodes"') : html.index('id="h-links"')]
        assert re.search(r"Tomas Ruiz</a></td><td>person</td><td>3</td>", nodes), user
    desk = _page(client, seeded.headers("desk"), f"case={net['a']}").text
    assert "Heron" not in desk and net["hidden"] not in desk
    # The supervisor may see the SECRET case (ring 2 through the phone) and its person (ring 3).
    sup = _page(client, seeded.headers("supervisor"), f"case={net['a']}").text
    assert "Operation Heron source" in sup
