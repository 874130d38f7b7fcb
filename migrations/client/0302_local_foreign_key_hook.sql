-- 0302_local_foreign_key_hook: the client's version of 0301's schema_add_foreign_key. Local only.
-- Serves no seed.
--
-- A foreign key on a client holds between server-state tables, checked at commit (0201, "The applier's
-- relaxations"): each side is synced.<t> when <t> has an overlay (public.<t> is then a view), else
-- public.<t>; the key is DEFERRABLE INITIALLY DEFERRED, because pglite-sync writes one table after the
-- other inside one transaction. local.<t>_state never has foreign keys (the server checks them).
-- A new table that gets an overlay later (the core installs one at open for a table a named operation
-- writes: 0203's install_named_only_overlay) takes its foreign keys along to synced.<t>.

CREATE OR REPLACE FUNCTION schema_add_foreign_key(p_table text, p_constraint text, p_columns text,
                                                  p_parent text, p_parent_columns text, p_actions text DEFAULT '')
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    child  regclass := coalesce(to_regclass(format('synced.%I', p_table)), schema_hook_table(p_table));
    parent regclass := coalesce(to_regclass(format('synced.%I', p_parent)), schema_hook_table(p_parent));
BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%s) REFERENCES %s (%s) %s DEFERRABLE INITIALLY DEFERRED',
                   child, p_constraint,
                   (SELECT string_agg(format('%I', btrim(c)), ', ') FROM unnest(string_to_array(p_columns, ',')) c),
                   parent,
                   (SELECT string_agg(format('%I', btrim(c)), ', ') FROM unnest(string_to_array(p_parent_columns, ',')) c),
                   p_actions);
END;
$$;
