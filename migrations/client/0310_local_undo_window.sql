-- 0310_local_undo_window: a pending write can wait a moment before it is sent, so the user can take it
-- back. Local only. Serves no seed.
--
--   outbox.mutations.send_after   NULL: send as soon as possible (every write before this migration);
--                                 a time: the uploader does not send this mutation, nor any after it
--                                 (the server must see mutations in order), before that time.
--
-- The inbox's decisions use it (renderer/inbox): a decision waits a few seconds in the outbox, where
-- `z` can withdraw it (core/outbox/outbox.ts withdrawMutation) without the server ever seeing it. The
-- wait is in the outbox, not in memory: closing the app during it keeps the decision, and the next
-- open sends it.

ALTER TABLE outbox.mutations ADD COLUMN send_after timestamptz;
COMMENT ON COLUMN outbox.mutations.send_after IS
    'Not sent before this time (nor any later mutation); NULL: at once. Set by a named mutation run with a hold.';
