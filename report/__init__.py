"""Report rendering: the marts → the ministry workbook, HTML report, narrative, chase list and exports."""
