-- Permissions per module: the one "operate:write" token scope becomes the scopes of the modules
-- an institution's staff work in, so a token made before keeps doing what it did.
UPDATE "api_tokens"
SET "scopes" = array(
  SELECT DISTINCT s FROM unnest(array_remove("scopes", 'operate:write')
    || ARRAY['catalogue:write', 'circulation:write', 'digital:write', 'museum:write', 'programmes:write']) AS s
  ORDER BY s
)
WHERE 'operate:write' = ANY("scopes");
