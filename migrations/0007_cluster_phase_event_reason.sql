-- Custom SQL migration file, put your code below! --
-- Cluster phase changes are named as the events API lists them (API.md: ClusterPhaseChanged).
UPDATE "events" SET "reason" = 'ClusterPhaseChanged' WHERE "reason" = 'PhaseChanged' AND "object_kind" = 'Cluster';
