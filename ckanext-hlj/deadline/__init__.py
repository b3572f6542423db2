"""Publication-deadline tracking: the working-day calendar as a database table, deadline statuses of datasets and
DataStore rows, timeliness reports and reminders. The rules and the calendar themselves are in
``ckanext.hlj.catalogue.deadlines`` and ``.workdays``."""
