"""/ : who are you?"""

import dash

from components.landing import landing_page

dash.register_page(__name__, path="/", title="CampusDesk: the campus helpdesk", name="Start")


def layout(**_query):
    """The landing page."""
    return landing_page()
