-- Evidence documents of algorithm filings (impact assessments, test
-- reports, …), uploaded by the filing's owner and kept here whole: the
-- bytes, their SHA-256 and size, the declared file name and content type.
-- A revision's evidence names an uploaded document by the URI
-- evidence:<id>, while evidence written before (plain doc:// text) stays as it
-- was. Documents are never changed or deleted (a filing's history refers to
-- them), so UPDATE, DELETE and TRUNCATE raise.
CREATE TABLE catalog.evidence_documents (
  id text PRIMARY KEY CHECK (id ~ '^EVD-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  filing_id text NOT NULL REFERENCES catalog.filings (id),
  file_name text NOT NULL CHECK (btrim(file_name) <> '' AND length(file_name) <= 255),
  content_type text NOT NULL CHECK (content_type <> ''),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL CHECK (octet_length(content) = size_bytes),
  uploaded_by text NOT NULL CHECK (uploaded_by <> ''),
  uploaded_at timestamptz NOT NULL
);

CREATE INDEX evidence_documents_filing_idx ON catalog.evidence_documents (filing_id, uploaded_at);

CREATE TRIGGER evidence_documents_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON catalog.evidence_documents
  FOR EACH STATEMENT EXECUTE FUNCTION catalog.refuse_history_change();
