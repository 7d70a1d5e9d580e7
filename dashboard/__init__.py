"""The duty officer's dashboard: a web page served by the bot process itself."""
