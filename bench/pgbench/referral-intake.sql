-- pgbench script: the writes of one POST /referrals (a family of three), as the service makes
-- them: the referrer-key lookup, then one statement writing the referral, its people, the
-- search tokens of their names (two words each) and its audit event. `npm run bench -- referrals` runs it beside the service with the same number of
-- clients, so that the service's figure can be read against the database's ceiling.
-- Needs -M prepared (the variables are parameters) and -D referrer=<uuid of a referrer>.
\set n random(1, 2000000000)
SELECT id FROM referrers WHERE api_key_hash = sha256('pgbench-key') AND revoked_at IS NULL;
WITH referral AS (
  INSERT INTO referrals (referrer_id, created_by, caller_key, external_reference, request_fingerprint,
    protection_order_number, protection_order_authority_type, protection_order_authority_name,
    protection_order_issued_at, risk_level, needs, wheelchair_accessible, family_size,
    personal_data, document_index, name_tokens_pending, created_at, updated_at)
  SELECT :referrer::uuid, NULL::uuid, 'referrer:' || :referrer::text, 'PGB-' || :client_id::text || '-' || :n::text, md5(:n::text),
    '11001-CF-2026-00123', 'comisaria_familia', 'Comisaría de Familia Kennedy 1', '2026-01-20'::date,
    'severe', jsonb_build_object('wheelchairAccessible', false), false, 3::smallint, repeat('x', 600), md5(:n::text) || md5(:n::text), false, now(), now()
  ON CONFLICT (caller_key, external_reference) DO NOTHING RETURNING id
), people AS (
  INSERT INTO referral_people (referral_id, position, role, relationship)
  SELECT referral.id, p.position - 1, CASE WHEN p.position = 1 THEN 'woman' ELSE 'dependant' END, p.relationship
  FROM referral, unnest('{NULL,child,child}'::text[]) WITH ORDINALITY AS p (relationship, position)
  RETURNING id, referral_id, position
), name_tokens AS (
  INSERT INTO referral_name_tokens (token, person_id, referral_id)
  SELECT substring(sha256((:n::text || people.position || w)::bytea) FROM 1 FOR 16), people.id, people.referral_id
  FROM people, unnest('{a,b}'::text[]) AS w
), audit AS (
  INSERT INTO audit_events (actor_id, actor_role, action, resource_type, resource_id, request_id, details)
  SELECT :referrer::uuid, 'referrer', 'referral.created', 'referral', referral.id, gen_random_uuid()::text,
    jsonb_build_object('riskLevel', 'severe', 'familySize', 3, 'idempotencyKey', false) FROM referral
)
SELECT id FROM referral;
