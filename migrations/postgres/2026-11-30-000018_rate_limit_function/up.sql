-- Rate limits in one round trip: count one request against every key, all
-- or nothing, in a commit that does not wait for the WAL flush (the counts
-- are advisory). Each key is the same GCRA upsert as before: allowed when
-- the new theoretical arrival time lies at most one period ahead, decided on
-- the locked row so concurrent nodes stay exact. Returns 0 when allowed,
-- else the milliseconds to wait; a refusal undoes the keys counted before it.
CREATE FUNCTION hearth_rate_limit_hit(
    p_keys text[], p_steps bigint[], p_periods bigint[], p_now bigint
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    v_tat bigint;
    v_wait bigint := 1;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    BEGIN
        FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
            INSERT INTO rate_limits AS r (key, tat) VALUES (p_keys[i], p_now + p_steps[i])
            ON CONFLICT (key) DO UPDATE
                SET tat = greatest(r.tat, p_now) + p_steps[i]
                WHERE greatest(r.tat, p_now) + p_steps[i] - p_periods[i] <= p_now
            RETURNING tat INTO v_tat;
            IF NOT FOUND THEN
                SELECT greatest(greatest(tat, p_now) + p_steps[i] - p_periods[i] - p_now, 1)
                  INTO v_wait FROM rate_limits WHERE key = p_keys[i];
                RAISE EXCEPTION 'hearth rate limited' USING ERRCODE = 'HRL01';
            END IF;
        END LOOP;
    EXCEPTION WHEN SQLSTATE 'HRL01' THEN
        -- Local variables keep their values; the counts above are undone.
        RETURN v_wait;
    END;
    RETURN 0;
END
$$;
