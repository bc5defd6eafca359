-- pgbench script: the database's own work of one admission and its egress, as the stays
-- scenario's officers make them through the service: one call of stays_admit (the service
-- chooses the house: beds chosen under the house's lock, the stay, its occupants, the
-- referral's move, the term alerts and the audit event), then one call of stays_egress (the
-- stay exited, its intervals closed, the referral exited, the follow-ups and the audit event),
-- with her consent to follow-up contact recorded between them (without it egress writes none).
-- `npm run bench -- stays` runs it beside the service with the same number of clients, so that
-- admissions per second can be read against the database's ceiling for the same writes.
-- Needs -M prepared, -D actor=<uuid of a staff user> and -D k=0 (each client counts its own
-- referrals: PGB-<client>-<k>, prepared by the scenario).
\set k :k + 1
SELECT stay_id FROM stays_admit(
  (SELECT id FROM referrals WHERE caller_key = 'staff'
     AND external_reference = 'PGB-' || :client_id || '-' || :k),
  NULL, NULL, now(), now(), 'America/Bogota', now() + interval '4 months',
  now() + interval '6 months', '{term_ending_soon,term_ends,term_overdue}'::text[],
  ARRAY[now() + interval '4 months' - interval '14 days', now() + interval '4 months',
        now() + interval '4 months 1 day'],
  :actor::uuid, 'admission_officer', 'pgbench') \gset
INSERT INTO consents (stay_id, purpose, version, granted, recorded_at, recorded_by)
  VALUES (:stay_id::uuid, 'follow_up_contact', 1, true, now(), :actor::uuid);
SELECT outcome FROM stays_egress(:stay_id::uuid, NULL, clock_timestamp(), clock_timestamp(),
  'voluntary', NULL, NULL, '{1,2,3,4}'::smallint[], '{P15D,P1M,P3M,P6M}'::text[],
  ARRAY[now() + interval '15 days', now() + interval '1 month', now() + interval '3 months',
        now() + interval '6 months'], :actor::uuid, 'admission_officer', 'pgbench');
