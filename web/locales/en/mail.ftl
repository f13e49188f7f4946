# Mails. Subjects start with the site's name in brackets (added by the
# code). Names and titles are user content.

mail-greeting = Hello { $name },
mail-subject-reply = { $poster } replied to your question “{ $title }”
mail-subject-accepted = Your answer in “{ $title }” was accepted as the solution
mail-subject-mention = { $mentioner } mentioned you in “{ $title }”
mail-subject-watched = New activity in “{ $title }”
mail-subject-escalated = Escalated to you: “{ $title }”
mail-subject-sla = SLA about to breach: “{ $title }”
mail-subject-password_reset = Reset your password
mail-subject-email_confirm = Confirm your email address
mail-subject-digest = { $count ->
    [one] Your daily digest: { $count } update
   *[other] Your daily digest: { $count } updates
}
mail-reset-body = Someone (hopefully you) asked to reset your password. The link works once, for one hour. If it was not you, ignore this mail.
mail-confirm-body = Welcome! Open the link and press “Confirm” to start posting. The link works once, for three days. If you did not create this account, ignore this mail.
mail-open = Open
mail-why = You get this mail because of your notification settings for “{ $kind }”.
mail-unsubscribe = Unsubscribe from these mails
mail-subject-email_change = Confirm your new email address
mail-change-body = You asked to use this address for your account. Open the link and press “Confirm”: your address changes then. The link works once, for three days. If you did not ask for this, ignore this mail; nothing changes.
mail-subject-email_changed = Your email address was changed
mail-changed-body = The email address of your account was changed to { $address }, and mail for the account goes there from now on. If you made this change, there is nothing more to do. If you did not, someone else may be using your account: contact this site’s support team right away and say which account it is.
mail-analytics-figure = { $name }: { $value } (the week before: { $last })
