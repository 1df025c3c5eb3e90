"""What a browser fetches before any page: a favicon from the package, HEAD on public pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_workbench_pages import app, client_for, desk  # noqa: F401  (fixtures)


def test_favicon_is_served_from_the_package(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    r = TestClient(app).get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header, not an error page


def test_pages_and_api_docs_point_at_the_local_favicon(desk: TestClient) -> None:  # noqa: F811
    for path in ("/", "/public", "/docs"):
        html = desk.get(path).text
        assert "/favicon.ico" in html, path
        assert "https://" not in html.split("<body")[0], f"{path} loads something remote"


def test_head_on_public_pages_answers_like_get(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    client = TestClient(app)
    for path in ("/public", "/favicon.ico", "/health"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content))


def test_head_on_a_post_only_route_is_still_refused(app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert TestClient(app).head("/auth/token").status_code == 405
