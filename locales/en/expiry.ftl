## The warning before a session (a flow) expires, with the offer of more time (WCAG 2.2.1).
## The server sends every text resolved; the widget shows the time-left line that fits.

flow-expiry-warning = Your session is about to end
flow-expiry-hint = Choose Continue to get more time. What you entered stays.
flow-expiry-continue = Continue
flow-expiry-final = This session cannot be extended any more. Finish before it ends, or start again afterwards.
flow-expiry-minutes-left = { $minutes ->
    [one] Less than 1 minute left.
   *[other] Less than { $minutes } minutes left.
}
flow-expiry-seconds-left = { $seconds ->
    [one] Less than 1 second left.
   *[other] Less than { $seconds } seconds left.
}
