"""The canonical sample dataset: a fictional 示例市 2024年教育工作要点 and builders for its files.

`plan_text` holds the document as data (`sample_lines()`, `SAMPLE_TEXT`); `build` writes it as
txt, docx (typed or automatic numbering), html, pdf and a scanned (text-less) pdf, for the tests,
the demo mode and the documentation.
"""
