# Fallback texts of the journey widget, used only when the journey server cannot be reached
# (or says nothing for the situation). Every other text comes from the server.
# The widget embeds this file at compile time and reads plain `key = value` lines only.
widget-loading = Loading…
widget-network-error = We could not reach the server. Check your connection and try again.
widget-retry = Try again
widget-start-again = Start again
