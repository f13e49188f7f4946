# The knowledge base: articles, feedback, editing and the review queue.
# Article titles, bodies, tags and board names are user content.

## Article states
kb-status-draft = Draft
kb-status-review = In review
kb-status-published = Published
kb-status-archived = Archived

## The knowledge base's home
kb-home-intro = Curated answers from the community, reviewed by our team.
kb-home-empty = No articles yet.
kb-review-queue = Review queue
kb-helpful = { $count ->
    [one] { $count } person found this helpful
   *[other] { $count } people found this helpful
}

## An article
# Followed by the author's @username (a link)
kb-article-source = Based on the accepted answer by
kb-article-thread = Open the community thread
kb-article-version = Version { $version }
# Before a relative time: "published 3 days ago"
kb-article-published = published { $when }
kb-feedback-question = Was this helpful?
kb-feedback-yes-count = Yes: { $count }
kb-feedback-no-count = No: { $count }
kb-feedback-yes = Yes
kb-feedback-no = No
kb-feedback-sign-in = Sign in to rate this article
kb-article-edit = Edit and review

## Editing and reviewing an article
kb-edit-title = Edit: { $title }
kb-edit-view = View article
kb-edit-unhelpful = Readers mostly found this article unhelpful.
kb-source-changed = Source changed since the last review
kb-source-question = Question
kb-source-answer = Accepted answer
kb-source-republish = Publishing again marks the source as reviewed.
kb-edit-tags = Tags (comma separated)
kb-edit-body = Article (Markdown)
kb-edit-note = What changed
kb-edit-save = Save new version
kb-action-review = Submit for review
kb-action-publish = Publish
kb-action-archive = Archive
kb-action-draft = Back to draft
kb-history = History
kb-history-rule = promotion rule
kb-history-promoted = Promoted from thread #{ $id }

## The review queue
kb-review-title = KB review queue
kb-review-heading = Knowledge base review
kb-review-empty = Nothing waits for review.
kb-review-source-changed = source changed
kb-review-unhelpful = mostly unhelpful
kb-review-by-rule = by rule
# Before a relative time: "updated 3 days ago"
kb-review-updated = updated { $when }

## The scaffold of a draft promoted from a thread (site language). Keep
## {author}, {link} and {kudos} as they are: they are filled in.
kb-draft-question = Question
kb-draft-answer = Answer
kb-draft-answer-by = Answer by {"{"}author{"}"} in {"{"}link{"}"}.
kb-draft-thread-link = the community thread
kb-draft-also-useful = Also useful
kb-draft-reply-by = {"{"}author{"}"} ({"{"}link{"}"}, {"{"}kudos{"}"} kudos)
kb-draft-reply-link = reply
