"""Reference data of the platform: organisations, administrative divisions, code lists, the calendar."""
