"""Public-site messages that reach the pages as values, not as template text.

The tip and follow-up services raise English messages (and name a tip's status) that the public
templates translate at render time (`{{ _(error) }}`, `{{ _(thread.status) }}`, the error
page's title). Extraction reads only literal `_()`/`N_()` calls, so `make i18n` would drop
their translations: they are marked here, where the public site owns its wording. A test
checks each one is still a string the services produce (ast, not grep), so a service that
rewords a message breaks the test instead of silently showing English on a Spanish page.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the gettext "noop" marker's conventional name)
    """Mark `message` for extraction; translated where it is shown."""
    return message


# ServiceError titles shown as the public error page's heading (ncb/services/errors.py, tips).
TITLES = (N_("Bad request"), N_("Not found"), N_("Locked"), N_("Too many requests"))

# A tip's status as the tipster reads it (ncb/services/tips.py _thread).
TIP_STATUS = (N_("received"), N_("being handled"), N_("passed to investigators"), N_("closed"))

# Refusals of the tip form and the follow-up page (ncb/services/tips.py, tip_forms.py).
TIP_ERRORS = (
    N_("the reference code or PIN is not right"),
    N_("too many wrong PINs for this reference; try again later"),
    N_("too many wrong codes were tried from your connection; please try again in the next hour"),
    N_("the form has expired; reload the page and send again"),
    N_("please take a moment to check what you wrote, then send again"),
    N_("this form was already sent; reload the page to send another"),
    N_("many messages are arriving just now; your browser needs a moment to send yours: press send again"),
    N_(
        "many messages are arriving just now and several came from your connection; please send "
        "again in the next hour"
    ),
    N_(
        "many messages are arriving just now: please wait a few minutes with this page open, "
        "then press send again"
    ),
)

MARKED = TITLES + TIP_STATUS + TIP_ERRORS
