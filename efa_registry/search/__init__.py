"""Search: German words as people type them.

The language core is pure Python without I/O. The embedded PostgreSQL has no contrib extensions
(no pg_trgm, no unaccent), so everything beyond the ``german`` stemmer happens here, before text
reaches the database:

- ``text``        normalisation, umlaut folding (ä = ae, ß = ss), tokens with hyphens, stopwords
- ``compounds``   the catalogue's vocabulary, compound splitting, the text to index
- ``thesaurus``   everyday words → catalogue wording (``seed/thesaurus.csv``: Kita → Kindertagesbetreuung)
- ``spelling``    typo correction against the vocabulary ("Meinten Sie …?")
- ``query``       a user query → a safe ``to_tsquery('german', …)`` string (``oder``/``or``, ``-Wort``)
- ``places``      hand-typed place and authority names → ARS, flagging what is ambiguous
- ``documents``   which texts a search document holds, at which weight; ``attempts`` the searches a
                  query makes (typed, corrected, relaxed); ``highlight`` the matches marked

Around it, the parts that meet the database (SQL of search's own tables and columns only; the
aggregates' repositories rank and filter): ``indexing`` writes the documents, ``lexicon`` keeps the
vocabularies and the place index per process and knows when they are stale, ``repository`` reads
the texts and the change log, ``reindex`` rebuilds documents of older code.

Wiring, once per vocabulary (rebuild it when the indexed texts change)::

    vocab = compounds.build_vocabulary(all_texts_that_are_indexed)
    # index side, per field and weight:
    setweight(to_tsvector('german', $1), 'A')   with $1 = compounds.expand_for_index(name, vocab)
    # query side (None: nothing searchable, return no hits):
    tsq = query.build_tsquery(q, vocab=vocab)   → WHERE v @@ to_tsquery('german', $1)
    hint = spelling.suggest(q, vocab)            → "Meinten Sie …?" when not None
"""
