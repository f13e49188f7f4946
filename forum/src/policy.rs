//! Who may do what. Pure functions, so the rules are unit-tested apart from
//! storage; `store` calls them inside its transactions.

use crate::error::ForumError;
use crate::models::{Actor, Role, ThreadStatus};
use crate::reputation::Privilege;

/// What a viewer may do to a thread beyond their own posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreadPrivileges {
    pub can_move: bool,
    pub can_mark_duplicate: bool,
    /// Edit other members' posts.
    pub can_edit_any: bool,
}

/// Moderators and admins may do all of it; anyone else what their rank
/// grants (`granted`); an anonymous visitor nothing.
pub fn thread_privileges(viewer: Option<Actor>, granted: &[Privilege]) -> ThreadPrivileges {
    match viewer {
        None => ThreadPrivileges::default(),
        Some(a) if a.role.can_moderate() => ThreadPrivileges {
            can_move: true,
            can_mark_duplicate: true,
            can_edit_any: true,
        },
        Some(_) => ThreadPrivileges {
            can_move: granted.contains(&Privilege::MoveThreads),
            can_mark_duplicate: granted.contains(&Privilege::MarkDuplicates),
            can_edit_any: granted.contains(&Privilege::EditPosts),
        },
    }
}

/// Whether `viewer` sees a board that `see_min_role` and up may see
/// (`crate::boards::can_see`).
pub fn can_see_category(viewer: Option<Actor>, see_min_role: Role) -> bool {
    crate::boards::can_see(viewer, see_min_role)
}

pub fn ensure_can_see(viewer: Option<Actor>, see_min_role: Role) -> Result<(), ForumError> {
    if can_see_category(viewer, see_min_role) {
        Ok(())
    } else {
        // A private board is reported as missing, so its existence does not leak.
        Err(ForumError::NotFound("thread"))
    }
}

pub fn ensure_can_reply(actor: Actor, status: ThreadStatus) -> Result<(), ForumError> {
    if status == ThreadStatus::Locked && !actor.role.can_moderate() {
        return Err(ForumError::Forbidden("this thread is locked"));
    }
    Ok(())
}

pub fn ensure_can_vote(
    actor: Actor,
    post_author: i64,
    post_deleted: bool,
) -> Result<(), ForumError> {
    if post_deleted {
        return Err(ForumError::NotFound("post"));
    }
    if actor.user_id == post_author {
        return Err(ForumError::Forbidden(
            "you cannot give kudos to your own post",
        ));
    }
    Ok(())
}

/// The asker, or a moderator, accepts a reply (never the question itself).
pub fn ensure_can_accept(
    actor: Actor,
    thread_author: i64,
    status: ThreadStatus,
    post_is_question: bool,
    post_deleted: bool,
) -> Result<(), ForumError> {
    if post_deleted {
        return Err(ForumError::NotFound("post"));
    }
    if actor.user_id != thread_author && !actor.role.can_moderate() {
        return Err(ForumError::Forbidden(
            "only the asker or a moderator can accept a solution",
        ));
    }
    if post_is_question {
        return Err(ForumError::invalid(
            "post",
            crate::Rule::QuestionIsNotAnAnswer,
            "the question itself cannot be its accepted solution",
        ));
    }
    if status == ThreadStatus::Locked && !actor.role.can_moderate() {
        return Err(ForumError::Forbidden("this thread is locked"));
    }
    Ok(())
}

/// `may_edit_others`: the actor's rank grants editing others' posts.
pub fn ensure_can_edit(
    actor: Actor,
    post_author: i64,
    post_deleted: bool,
    may_edit_others: bool,
) -> Result<(), ForumError> {
    if post_deleted && !actor.role.can_moderate() {
        return Err(ForumError::NotFound("post"));
    }
    if actor.user_id != post_author && !actor.role.can_moderate() && !may_edit_others {
        return Err(ForumError::Forbidden("you can only edit your own posts"));
    }
    Ok(())
}

pub fn ensure_can_moderate(actor: Actor) -> Result<(), ForumError> {
    if actor.role.can_moderate() {
        Ok(())
    } else {
        Err(ForumError::Forbidden("only moderators can do this"))
    }
}

pub fn ensure_admin(actor: Actor) -> Result<(), ForumError> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(ForumError::Forbidden("only admins can do this"))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn thread_privileges_follow_role_then_rank() {
        let who = |role| Some(Actor { user_id: 1, role });
        let all = ThreadPrivileges {
            can_move: true,
            can_mark_duplicate: true,
            can_edit_any: true,
        };
        assert_eq!(
            thread_privileges(None, &[Privilege::MoveThreads]),
            ThreadPrivileges::default()
        );
        assert_eq!(thread_privileges(who(Role::Moderator), &[]), all);
        assert_eq!(thread_privileges(who(Role::Admin), &[]), all);
        assert_eq!(
            thread_privileges(who(Role::Customer), &[]),
            ThreadPrivileges::default()
        );
        assert_eq!(
            thread_privileges(who(Role::Customer), &[Privilege::EditPosts]),
            ThreadPrivileges {
                can_edit_any: true,
                ..Default::default()
            }
        );
        let leader = thread_privileges(
            who(Role::Customer),
            &[Privilege::MoveThreads, Privilege::MarkDuplicates],
        );
        assert!(leader.can_move && leader.can_mark_duplicate && !leader.can_edit_any);
        // An agent is staff but not a moderator: their rank decides.
        assert_eq!(
            thread_privileges(who(Role::Agent), &[]),
            ThreadPrivileges::default()
        );
    }
    use super::*;

    fn actor(id: i64, role: Role) -> Actor {
        Actor { user_id: id, role }
    }

    #[test]
    fn private_boards_are_for_staff_only() {
        assert!(can_see_category(None, Role::Customer));
        assert!(!can_see_category(None, Role::Agent));
        assert!(!can_see_category(
            Some(actor(1, Role::Customer)),
            Role::Agent
        ));
        for role in [Role::Agent, Role::Moderator, Role::Admin] {
            assert!(
                can_see_category(Some(actor(1, role)), Role::Agent),
                "{role:?}"
            );
        }
        assert!(matches!(
            ensure_can_see(Some(actor(1, Role::Customer)), Role::Agent),
            Err(ForumError::NotFound(_))
        ));
    }

    #[test]
    fn no_kudos_for_own_or_deleted_posts() {
        assert!(ensure_can_vote(actor(1, Role::Customer), 2, false).is_ok());
        assert!(matches!(
            ensure_can_vote(actor(1, Role::Admin), 1, false),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_vote(actor(1, Role::Customer), 2, true),
            Err(ForumError::NotFound(_))
        ));
    }

    #[test]
    fn asker_or_moderator_accepts_a_reply() {
        let open = ThreadStatus::Answered;
        assert!(ensure_can_accept(actor(7, Role::Customer), 7, open, false, false).is_ok());
        assert!(ensure_can_accept(actor(8, Role::Moderator), 7, open, false, false).is_ok());
        assert!(ensure_can_accept(actor(8, Role::Admin), 7, open, false, false).is_ok());
        assert!(matches!(
            ensure_can_accept(actor(8, Role::Customer), 7, open, false, false),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_accept(actor(8, Role::Agent), 7, open, false, false),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_accept(actor(7, Role::Customer), 7, open, true, false),
            Err(ForumError::Validation { .. })
        ));
        assert!(matches!(
            ensure_can_accept(
                actor(7, Role::Customer),
                7,
                ThreadStatus::Locked,
                false,
                false
            ),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_accept(actor(7, Role::Customer), 7, open, false, true),
            Err(ForumError::NotFound(_))
        ));
    }

    #[test]
    fn authors_and_moderators_edit() {
        assert!(ensure_can_edit(actor(1, Role::Customer), 1, false, false).is_ok());
        assert!(ensure_can_edit(actor(2, Role::Moderator), 1, false, false).is_ok());
        assert!(matches!(
            ensure_can_edit(actor(2, Role::Customer), 1, false, false),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_edit(actor(2, Role::Agent), 1, false, false),
            Err(ForumError::Forbidden(_))
        ));
        assert!(matches!(
            ensure_can_edit(actor(1, Role::Customer), 1, true, false),
            Err(ForumError::NotFound(_))
        ));
        // A rank with the edit privilege (Community Leader) edits others' posts.
        assert!(ensure_can_edit(actor(2, Role::Customer), 1, false, true).is_ok());
        assert!(ensure_can_edit(actor(2, Role::Customer), 1, true, true).is_err());
    }

    #[test]
    fn locked_threads_take_replies_from_moderators_only() {
        assert!(ensure_can_reply(actor(1, Role::Customer), ThreadStatus::Open).is_ok());
        assert!(ensure_can_reply(actor(1, Role::Customer), ThreadStatus::Locked).is_err());
        assert!(ensure_can_reply(actor(1, Role::Moderator), ThreadStatus::Locked).is_ok());
        assert!(ensure_can_moderate(actor(1, Role::Agent)).is_err());
        assert!(ensure_admin(actor(1, Role::Moderator)).is_err());
    }
}
