# English pages write dates as the Chinese ones and the dashboard do, ISO 8601 on a 24-hour
# clock: Django's own "Aug. 28, 2023, 3 p.m." widened the admin's lists past the screen.
# Input formats stay Django's.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
