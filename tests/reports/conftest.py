from tests.reports.rows import book  # noqa: F401 - the fixture, for every test of reports
