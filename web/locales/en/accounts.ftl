# Accounts: signing in, joining, passwords, email confirmation, single
# sign-on.

account-back-community = Back to the community

## Signing in (login.html)
login-title = Sign in
login-with = Sign in with { $provider }
login-name = Username or email
login-submit = Sign in
login-new-here = New here?
login-create-account = Create an account
login-forgot = Forgot your password?
login-too-many = { $minutes ->
    [one] Too many failed sign-ins. Try again in { $minutes } minute, or reset your password.
   *[other] Too many failed sign-ins. Try again in { $minutes } minutes, or reset your password.
}

## Joining (register.html)
register-title = Join the community
register-email = Email
register-password = Password (at least { $min } characters)
register-submit = Create account

## Passwords
password-forgot-sent = If that address belongs to an account, a reset link is on its way. It works once, for one hour.
password-forgot-email = Your email
password-forgot-submit = Send me a link
password-reset-title = Choose a new password
password-reset-new = New password
password-reset-submit = Set password

## Confirming the email address; the address or the member's name follows
## confirm-sent, confirm-pending and confirm-prompt.
confirm-title = Confirm your email address
confirm-not-needed = Your email address needs no confirmation: you can post.
confirm-sent = A new confirmation link is on its way to
confirm-valid = It works once, for three days.
confirm-pending = Before you post, reply or vote, please confirm that this address is yours:
confirm-pending-how = Open the link we mailed you and press “{ confirm-button }”. The link works once, for three days.
confirm-no-mail = No mail? Look in your spam folder, or ask for a new link.
confirm-resend = Send me a new link
confirm-done = Thank you: your email address is confirmed. You can post now.
confirm-spent = This confirmation link has expired or was used already. Sign in and ask for a new one.
confirm-ask-new = Ask for a new link
confirm-prompt = Press the button to confirm that this address belongs to
confirm-button = Confirm

## Single sign-on: the error page (sso_error.html)
sso-heading-denied = Sign-in cancelled
sso-heading-unknown = Unknown sign-in provider
sso-heading-unavailable = Sign-in provider unavailable
sso-heading-failed = Sign-in failed
# Stands for $provider when the provider is not known.
sso-provider-generic = the sign-in provider
sso-error-unknown-provider = There is no sign-in provider called “{ $provider }” here.
sso-error-denied = Signing in at { $provider } was cancelled or not allowed, so you are not signed in. No account was created or changed.
sso-error-provider = { $provider } could not sign you in and reported an error. Please try again.
sso-error-state-unknown = This sign-in cannot be finished: the sign-in attempt is unknown or was already used. Please start again from the sign-in page.
sso-error-state-expired = This sign-in cannot be finished: the sign-in attempt has expired. Please start again from the sign-in page.
sso-error-state-other-provider = This sign-in cannot be finished: the sign-in attempt was started with another provider. Please start again from the sign-in page.
sso-error-state-other-browser = This sign-in cannot be finished: the sign-in attempt was started in another browser. Please start again from the sign-in page.
sso-error-issuer = The answer did not come from { $provider }, so it was rejected. Please start again.
sso-error-unreachable = { $provider } cannot be reached right now, so you cannot sign in with it. Please try again in a few minutes.
sso-error-discovery = { $provider } is not set up correctly or answered unexpectedly. Please try again later; the administrators have been told.
sso-error-code = { $provider } did not accept the sign-in code: it has expired or was already used. Please sign in again.
sso-error-token = { $provider } refused to complete the sign-in. Please try again later.
sso-error-signature = The identity token from { $provider } does not carry a valid signature, so it was rejected and nobody was signed in.
sso-error-id-token = The identity token from { $provider } failed validation (issuer, audience, expiry or nonce), so it was rejected and nobody was signed in.
# $reason is the site's English explanation; other languages may leave it out.
sso-error-claims = { $provider } did not tell us enough about you: { $reason }.
sso-error-link-unknown = This request to link accounts is unknown or was already answered. Please sign in again.
sso-error-link-expired = This request to link accounts has expired. Please sign in again.
sso-error-link-other-browser = This request to link accounts was made in another browser. Please sign in again.
sso-error-csrf = The form has expired. Please sign in again.
# $reason is the site's English explanation; other languages may leave it out.
sso-error-conflict = { $reason }.
sso-error-internal = Signing in could not be finished because of a problem on our side; it has been logged. Please try again.
sso-code = Error code:
sso-provider = Provider:
sso-back-sign-in = Back to sign in

## Single sign-on: linking an existing account (sso_link.html)
sso-link-title = Link your account
sso-link-heading = Link your Hearth account { $name } to { $provider }?
sso-link-signed-in = You signed in at { $provider } as { $email }.
sso-link-account = The Hearth account with the same email address:
sso-link-advice = Link them to sign in to that account through { $provider } from now on. If you cancel, nothing is changed.
sso-link-submit = Link and sign in
