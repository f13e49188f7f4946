## Why an input was refused: one sentence per rule (forum::Rule), with the
## field's label ($field, from field-* in common.ftl) and the figures the
## rule names.
invalid-required = { $field } cannot be empty.
invalid-too-short = { $field } needs at least { $min ->
    [one] { $min } character
   *[other] { $min } characters
}.
invalid-too-long = { $field } can have at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
}.
invalid-control-character = { $field } contains a control character ({ $code_point }), which is not allowed.
invalid-one-of = { $field }: choose one of { $choices }.
invalid-unknown = { $field }: “{ $value }” does not exist.
invalid-range = { $field } must be a whole number from { $min } to { $max }.
invalid-whole-number = { $field } must be a whole number.
invalid-email = Enter a valid email address.
invalid-email-domain-refused = Addresses at this domain cannot register here; use another address.
invalid-username = A username has 3 to 32 letters, digits, dots, dashes or underscores.
invalid-slug = { $field }: use 1 to 64 lower-case letters, digits and dashes.
invalid-slug-taken = There is already a board with this address.
invalid-tag = The tag “{ $tag }” must be up to 30 letters, digits or dashes.
invalid-too-many-tags = A thread can have at most { $max ->
    [one] { $max } tag
   *[other] { $max } tags
}.
invalid-link-expired = This link is invalid, was used already or has expired. Ask for a new one.
invalid-repeated-post = You posted this same text a moment ago; it is already there (or waiting for review).
invalid-board-archived = This board is archived: it is read-only and takes no new threads.
invalid-only-question-has-title = Only the question has a title.
invalid-question-is-not-an-answer = The question itself cannot be its accepted solution.
invalid-not-solved = Only a solved thread can become a knowledge base article.
invalid-answer-deleted = The accepted answer was deleted.
invalid-not-published = Only published articles take feedback.
invalid-duplicate-loop = A thread cannot be a duplicate of itself, or of a thread marked as its duplicate.
invalid-confirm-username = Type the member's username to confirm the erasure.
invalid-in-the-past = { $field } must be in the future.
invalid-first-page = Page numbers start at 1.
invalid-past-last-page = This list reaches page { $last } at most; narrow the search or use filters.
invalid-agents-only = Tasks can only be assigned to agents.
invalid-nothing-to-change = There is nothing to change.
invalid-low-contrast = White text on this colour has a contrast of only { $ratio }:1, and WCAG AA asks at least 4.5:1 for text to stay readable. Choose a darker colour.
invalid-colour = { $field }: write a colour as #rrggbb, for example #c2410c.
invalid-logo-address = { $field }: use an https:// address or a path on this site starting with / (for example /brand/logo.svg).
invalid-mailbox = { $field }: write an address, or Name <address>.
invalid-true-or-false = { $field } must be true or false.
invalid-thread-reference = Give the original thread's number or link.
invalid-wrong-password = That is not your current password.
invalid-time-zone = { $field }: choose a time zone from the list (for example Europe/Kyiv).

## A username or address another account already has
error-taken-username = That username is taken; choose another.
error-taken-email = An account with that email address already exists. Sign in, or reset your password.
invalid-file-too-large = The file is too large: at most { $megabytes } MB.
invalid-file-type = This kind of file is not accepted. Attach PNG, JPEG, GIF or WebP images, PDF or plain text.
invalid-file-markup = HTML, SVG and XML documents are not accepted. Paste the part that matters into the post as code.
invalid-file-unreadable = The image could not be read; it may be damaged.
invalid-image-too-large = The image is too large: at most { $megapixels } million pixels.
invalid-upload-quota = You can upload { $files } files or { $megabytes } MB in 24 hours. Try again later.
invalid-idempotency-key = { $field }: use 1 to 255 visible ASCII characters (a UUID is a good key).
invalid-idempotency-key-reused = { $field }: this key was already used for a different request; send a new key for a new request.
