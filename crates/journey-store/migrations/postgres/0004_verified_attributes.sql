-- Which of an account's attributes its owner proved they control (a phone number by a code),
-- as a JSON array of attribute names; the email's proof stays with its identifier.
ALTER TABLE accounts ADD COLUMN verified_attributes TEXT NOT NULL DEFAULT '[]';
