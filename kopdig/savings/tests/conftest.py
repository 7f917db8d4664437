# The members app's fixtures (admit, sukarela, nik) serve the savings tests too.
from kopdig.members.tests.conftest import admit, nik, sukarela  # noqa: F401
from kopdig.tests.browser import browser  # noqa: F401  (fixture for the teller journey)
