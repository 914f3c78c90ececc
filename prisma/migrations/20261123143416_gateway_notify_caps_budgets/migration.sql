-- Gateways also cache each workload's max_tokens cap and its project's budget: notify on those too.
CREATE OR REPLACE FUNCTION inferencekey_workload_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW."status", NEW."desiredState", NEW."upstreamUrl", NEW."upstreamKeyCiphertext",
      NEW."promptPriceMicros", NEW."completionPriceMicros", NEW."slug", NEW."maxTokens")
      IS NOT DISTINCT FROM (OLD."status", OLD."desiredState", OLD."upstreamUrl", OLD."upstreamKeyCiphertext",
      OLD."promptPriceMicros", OLD."completionPriceMicros", OLD."slug", OLD."maxTokens") THEN
    RETURN NULL; -- reconciler bookkeeping only
  END IF;
  PERFORM pg_notify('inferencekey_workload', COALESCE(OLD."id", NEW."id"));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- "*": drop every cached route (a project's budget or slug changed, or it was deleted).
CREATE OR REPLACE FUNCTION inferencekey_project_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW."monthlyBudgetMicros", NEW."slug") IS NOT DISTINCT FROM (OLD."monthlyBudgetMicros", OLD."slug") THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('inferencekey_workload', '*');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Project_changed"
  AFTER UPDATE OR DELETE ON "Project"
  FOR EACH ROW EXECUTE FUNCTION inferencekey_project_changed();
