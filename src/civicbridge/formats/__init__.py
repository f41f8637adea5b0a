"""One date format per language on every page, e-mail and export (FORMAT_MODULE_PATH).

Django's own formats differ from one named format to the next (English "Dec. 1, 2026" for a
date beside "1 December 2026" written in a template; Turkish "07 Ocak" beside "7 Ocak"): every
language here writes a date as day, month name, year, and a moment with the 24-hour time
after a comma. Numbers keep Django's formats.
"""
