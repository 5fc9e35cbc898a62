# The admin writes dates as the dashboard does, 2023-08-28 and 2026-12-08 15:30, not Django's
# 2023年8月28日 beside them. Input formats stay Django's (2023年8月28日 is still read).
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
# The admin's date drill-down: 9月16日 beside 11月25日, not Django's zero-padded 09月16日.
MONTH_DAY_FORMAT = "n月j日"
