## Errors of the API, shown when a request cannot be served.

api-malformed-json = The request could not be read. Reload the page and try again.
api-invalid-request = The request was not complete. Reload the page and try again.
api-unsupported-media-type = The request was not sent as JSON. Reload the page and try again.
api-payload-too-large = The request was too large. Shorten what you typed and try again.
api-tenant-not-found = This site is not known to the sign-in service.
api-journey-not-found = This sign-in page is not set up. Contact the site's support.
api-flow-not-found = This session was not found. Start again.
api-flow-expired = This session has expired. Start again.
api-flow-ended = This session has already ended. Start again if you need to.
api-step-mismatch = This page was out of date; here is where you are now.
api-action-unavailable = That is not possible at this step.
api-invalid-input = Some of what you entered needs fixing.
api-conflict = Another request changed this session at the same time; here is where you are now.
api-rate-limited = Too many attempts. Wait a moment and try again.
api-origin-not-allowed = This site may not use the sign-in service.
api-channel-unavailable = This sign-in service cannot send { $channel ->
    [email] email
    [sms] text messages
   *[voice] voice calls
} yet, which this page needs. Try again later or contact the site's support.
api-invalid-context = This page passed information the form does not accept ({ $key }), so it could not start. Reload the page; if it happens again, tell the site's support.
api-method-not-allowed = This address does not accept that kind of request.
api-not-found = There is nothing here.
api-internal = Something went wrong on our side. Nothing was changed; try again in a moment.
