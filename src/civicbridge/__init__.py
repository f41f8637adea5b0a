"""civicbridge: the cooperation platform between public administration and civil society."""
