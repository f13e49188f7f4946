# The idea exchange (issue 17): ideas boards, ideas, votes, statuses and
# their history. Idea titles, descriptions, status names, product areas
# and board names are user content.

ideas-title = Ideas
ideas-intro = Propose what we should build next, vote for the ideas you want, and follow what we do with them.
ideas-no-boards = There are no ideas boards yet.
ideas-submit = Submit an idea
ideas-submit-button = Submit the idea
ideas-budget-note = { $count ->
    [one] You can hold { $count } active vote in this board.
   *[other] You can hold { $count } active votes in this board.
}

## Sorts and filters
ideas-sort = Order of the ideas
ideas-sort-trending = Trending
ideas-sort-top = Top
ideas-sort-newest = Newest
ideas-sort-status = Recently updated status
ideas-filter = Filter the ideas
ideas-filter-kind = Status
ideas-filter-any = Any
ideas-filter-tag = Tag
ideas-filter-area = Product area
ideas-filter-mine = Ideas I voted on
ideas-filter-apply = Filter
ideas-count = { $count ->
    [one] { $count } idea
   *[other] { $count } ideas
}
ideas-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
# After the number of votes, which is shown big
ideas-votes-word = { $count ->
    [one] vote
   *[other] votes
}
ideas-you-voted = You voted
ideas-comments = { $count ->
    [one] { $count } comment
   *[other] { $count } comments
}

## Kinds of status
ideas-kind-open = Open
ideas-kind-active = Active
ideas-kind-completed = Completed
ideas-kind-declined = Declined
ideas-kind-duplicate = Duplicate

## Submitting
ideas-field-title = Title
ideas-field-description = Describe the idea: what would it let you do?
ideas-field-tags = Tags (separated by commas)
ideas-field-area = Product area

## An idea
ideas-votes-heading = Votes
ideas-budget-used = You are using { $count } of your { $max } votes in this board.
ideas-vote = Vote for this idea
ideas-unvote = Withdraw my vote
ideas-voted = Your vote is counted.
ideas-unvoted = Your vote is withdrawn.
ideas-refused-closed = This idea is closed and takes no more votes.
ideas-refused-own = You cannot vote on your own idea in this board.
ideas-refused-budget = { $count ->
    [one] You are already using your { $count } vote in this board: withdraw it to vote here.
   *[other] You are already using all { $count } of your votes in this board: withdraw one to vote here.
}
ideas-sign-in-to-vote = Sign in to vote
ideas-timeline = History
ideas-timeline-submitted = Submitted
ideas-timeline-change = { $from } → { $to }
ideas-change-status = Change the status
ideas-new-status = New status
ideas-status-note = Public note
ideas-change-status-button = Change the status
ideas-status-changed = The status is changed; voters, the author, commenters and watchers will be told.
ideas-voters = Who voted
ideas-no-voters = Nobody has voted yet.
ideas-comment = Comment on this idea

## Administration
ideas-board-kind = Kind of board
ideas-board-kind-discussion = Discussion (questions and answers)
ideas-board-kind-ideas = Ideas (members propose and vote)
ideas-admin-title = Ideas board settings
ideas-admin-voting = Voting
ideas-admin-budget = Active votes per member
ideas-admin-budget-help = Leave empty for no limit. Votes on closed ideas are returned to their voters.
ideas-admin-self-vote = Authors may vote on their own ideas
ideas-admin-statuses = Statuses
ideas-admin-status-name = Name
ideas-admin-status-kind = Kind
ideas-admin-status-slug = Short name (in addresses)
ideas-admin-status-colour = Colour
ideas-admin-add-status = Add the status

## Notifications of a status change (idea titles and status names are user content)
notify-kind-idea_status = Idea status changes
    .description = An idea you proposed, voted for, commented on or watch changes status.
notify-line-idea-status = “{ $title }” is now { $to }
notify-line-idea-status-returned = “{ $title }” is now { $to }; your vote is returned to you

## The CRM contact timeline
timeline-idea-status = an idea they voted for, “{ $title }”, is now { $to }

## The roadmap
ideas-roadmap = Roadmap
ideas-roadmap-intro = What we are planning, what we are building, and what we delivered lately.
ideas-roadmap-delivered = Delivered recently
ideas-roadmap-empty = Nothing here yet.

## Similar ideas, offered before submitting
ideas-similar = Is it one of these?
ideas-similar-intro = These ideas look like yours. Voting for one of them counts your voice where others already are; or submit yours anyway.
ideas-vote-instead = Vote for this instead
    .aria-label = Vote for “{ $title }” instead
ideas-submit-anyway = Submit mine anyway

## Merging duplicates
ideas-merge = Merge into another idea
ideas-merge-into = Number of the idea to merge this one into
ideas-merge-help = Its votes move there (a member who voted on both counts once); its comments stay readable. It can be undone.
ideas-merge-button = Merge
ideas-merge-done = The idea was merged into this one.
ideas-unmerge-done = The merge is undone: this idea has its own votes back.
ideas-merged-from = Idea #{ $id } was merged into this one.
ideas-merged-comments = Read its comments
ideas-merged-here = Merged into this idea
ideas-unmerge = Unmerge
    .aria-label = Unmerge “{ $title }”

## The CRM view of an idea (staff)
ideas-sort-score = Weighted score
ideas-breakdown = Who is behind the votes
ideas-score = Weighted score: { $score }
ideas-breakdown-segment = Customer segment
ideas-breakdown-stage = Lifecycle stage
ideas-breakdown-voters = Voters
ideas-breakdown-none = Not in the CRM
ideas-breakdown-companies = { $count ->
    [one] { $count } company
   *[other] { $count } companies
}
ideas-admin-weights = Segment weights in the score
ideas-admin-weights-help = One segment=weight per line (for example enterprise=3); a segment not listed weighs 1.

## Field names in refusals
field-colour = Colour
field-into = Idea to merge into
field-product_area = Product area
field-segment_weights = Segment weights
field-status_kind = Kind of status
field-vote_budget = Active votes per member

## What a status change links to
ideas-change-link = Read more
ideas-status-link = Link (a KB article /kb/… or a release note https://…)
field-link = Link
ideas-admin-edit-status = Change
ideas-admin-status-position = Place in the order (1 first)
ideas-admin-remove-status = Remove the status
ideas-admin-move-to = Move its ideas to
field-idea = Idea
field-idea-status = Idea status
field-move_to = Move its ideas to
field-position = Place in the order
