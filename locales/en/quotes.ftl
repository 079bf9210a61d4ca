## Saving and buying insurance quotes (the save-quote, add-quote, buy-car and buy-life journeys).

journey-save-quote-title = Save your quote
journey-add-quote-title = Add a quote to your account
journey-buy-car-title = Buy car insurance
journey-buy-life-title = Buy life insurance
save-quote-title = Save your quote
no-quote-title = We cannot find this quote
no-quote-body = The quote may have expired, or it is for another product. Ask for a new quote on the page and save that one.
save-quote-locked-title = Saving stopped
save-quote-locked-body = The code was entered wrongly too many times, so we stopped to protect your account. Ask for your quote again to get a new code.
buy-car-title = Buy your car insurance
buy-car-profile-title = Your details for the policy
buy-no-quote-title = First get a quote
buy-no-quote-body = We found no saved car quote on your account. Get a quote for your car, save it, and come back to buy it.
buy-refused-title = We cannot insure you without them
buy-refused-body = A policy needs the terms of use and the privacy notice accepted. Nothing was bought and nothing was changed. You can come back at any time.
buy-locked-title = Buying stopped
buy-locked-body = The code was entered wrongly too many times, so we stopped to protect your account. Nothing was bought. Start again to get a new code.
buy-life-not-yet-title = Buying life insurance online is not yet possible
buy-life-not-yet-body = Life insurance needs your identity verified, and we cannot do that online yet. Nothing was bought and nothing was changed on your account. Call us and we will help you.
