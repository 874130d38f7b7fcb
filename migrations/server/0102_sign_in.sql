-- 0102_sign_in: the one lookup that signing in needs outside a tenant context.
--
-- Sign-in knows a tenant slug and an email, not a tenant id, so it cannot set app.tenant_id first and
-- read users under row-level security. auth_sign_in_candidate() is that lookup and nothing more: it
-- returns at most one row (the user of that tenant with that email, case-insensitively) with what the
-- password check needs. It is SECURITY DEFINER, owned by outpost_definer with column grants on exactly
-- the columns it reads; outpost_app may execute it. Everything after the password check (roles,
-- sessions, last_login_at) runs as outpost_app with the user's tenant set, under RLS.
--
-- Callers must treat "no row", "no password" (SSO users, service accounts) and "wrong password" alike,
-- and verify a dummy hash when there is no row, so the answer and its timing reveal nothing.

CREATE FUNCTION auth_sign_in_candidate(p_tenant_slug text, p_email text)
RETURNS TABLE (user_id uuid, tenant_id uuid, hashed_password text, user_active boolean, tenant_active boolean)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT u.id, u.tenant_id, u.hashed_password::text,
           u.is_active AND u.actor_type = 'user', t.is_active
      FROM tenants t
      JOIN users u ON u.tenant_id = t.id
     WHERE t.slug = p_tenant_slug
       AND lower(u.email) = lower(p_email)
     LIMIT 1
$$;

COMMENT ON FUNCTION auth_sign_in_candidate(text, text) IS
    'Sign-in lookup by tenant slug and email (case-insensitive): user id, tenant id, password hash, active flags. At most one row.';

ALTER FUNCTION auth_sign_in_candidate(text, text) OWNER TO outpost_definer;
GRANT SELECT (slug, is_active) ON tenants TO outpost_definer;
GRANT SELECT (id, tenant_id, email, hashed_password, is_active, actor_type) ON users TO outpost_definer;
REVOKE ALL ON FUNCTION auth_sign_in_candidate(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_sign_in_candidate(text, text) TO outpost_app;
