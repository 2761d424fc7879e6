"""Date formats of the UI (``FORMAT_MODULE_PATH``): dates are read and written as dd-mm-jjjj
in every language of the UI and whatever the browser's language. The API keeps ISO dates."""
