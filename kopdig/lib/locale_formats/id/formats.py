"""Django's date formats for Indonesian (settings.FORMAT_MODULE_PATH), overriding Django's own.

A person reads dates as "3 September 2019" ({{ date }} in a template); dense tables may use the
short form "03/09/2019" ({{ date|date:"SHORT_DATE_FORMAT" }}), never "03-09-2019". Date inputs carry
ISO values (the first input format), which the browser's date picker needs and shows in the
user's locale.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATETIME_FORMAT = "d/m/Y H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
]
FIRST_DAY_OF_WEEK = 1
