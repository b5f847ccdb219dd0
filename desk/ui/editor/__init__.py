"""Editor: widgets of the app grouped by what the user sees."""
