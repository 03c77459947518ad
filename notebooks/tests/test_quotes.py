"""Code quoted in the lessons and READMEs exists in the files and classes it names.

Three kinds of reference are checked, in every lesson source, assignment source and README:

- A quote block: a line `<!-- quotes: PATH -->` followed by a table, a paragraph or a fenced code block. Every
  inline code span of that block (and every line of a fenced block) must occur in PATH, white space folded. This is
  how lesson 05 maps the arrows of the LSTM figure to the lines of the textbook cell.
- A path in backticks (`lib/src/.../TextbookLstmCell.java`) must exist, where its first folder is one of the
  repository's (paths of installed files, such as a kernelspec's, are not checked).
- A member in backticks (`Trainer.batchSize`, `Plots.lines(...)`, `Loss.MSE`) of a class of this project must be
  declared in that class's source file.

So a change that rewrites a quoted line, renames a method or moves a file fails here, with the place to fix.
"""
import pathlib
import re
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = sorted([*ROOT.glob("notebooks/src/*.md"), *ROOT.glob("instructor/edit-here/*.md"), *ROOT.glob("*.md"),
               *ROOT.glob("*/README.md"), *ROOT.glob("notebooks/models/README.md")])
SOURCE_DIRS = ["lib/src/main/java", "grader/java/src/main/java", "kernel/src/main/java"]
MARKER = re.compile(r"^<!--\s*quotes:\s*(\S+)\s*-->\s*$")
SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
PATH = re.compile(r"^[\w.-]+(/[\w.-]+)+\.(java|py|md|sh|csv|model|svg|png|properties|txt|json|yml)$")
MEMBER = re.compile(r"^(?:new\s+)?([A-Z][A-Za-z0-9]*)\.([a-zA-Z_][A-Za-z0-9_]*)\b")


def fold(text):
    return " ".join(text.split())


def class_sources():
    """Every class of the project by simple name: the text of its source file."""
    found = {}
    for d in SOURCE_DIRS:
        for f in (ROOT / d).rglob("*.java"):
            found.setdefault(f.stem, []).append(f.read_text(encoding="utf-8"))
    return found


def quote_blocks(lines):
    """(line number, quoted file, [code snippets]) for every quote block of a document."""
    blocks = []
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i].strip())
        if not m:
            i += 1
            continue
        start = i + 1
        j = start
        while j < len(lines) and not lines[j].strip():
            j += 1
        snippets = []
        if j < len(lines) and lines[j].lstrip().startswith("```"):
            j += 1
            while j < len(lines) and not lines[j].lstrip().startswith("```"):
                if lines[j].strip():
                    snippets.append(lines[j])
                j += 1
        else:
            while j < len(lines) and lines[j].strip():
                snippets.extend(SPAN.findall(lines[j]))
                j += 1
        blocks.append((start, m.group(1), snippets))
        i = j
    return blocks


def stale_quotes(doc_text, read):
    """The problems of one document's quote blocks; `read(path)` gives a file's text or None."""
    problems = []
    for line, path, snippets in quote_blocks(doc_text.splitlines()):
        text = read(path)
        if text is None:
            problems.append(f"line {line}: quotes {path}, which does not exist")
            continue
        if not snippets:
            problems.append(f"line {line}: a quote block of {path} with no code in it")
        body = fold(text)
        for s in snippets:
            if fold(s) not in body:
                problems.append(f"line {line}: `{s.strip()}` is not in {path}")
    return problems


def stale_references(doc_text, doc_dir, classes):
    """Paths that do not exist and members that their class does not declare."""
    problems = []
    in_fence = False
    for n, line in enumerate(doc_text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for span in SPAN.findall(line):
            span = span.strip()
            if PATH.match(span):
                if "NAME" in span:
                    continue                                  # a pattern such as notebooks/src/NAME.md
                bases = [ROOT, doc_dir, doc_dir.parent]       # a lesson source speaks from its notebook's folder
                first = span.split("/")[0]
                if any((b / first).is_dir() for b in bases) and not any((b / span).exists() for b in bases):
                    problems.append(f"line {n}: `{span}` does not exist")
                continue
            m = MEMBER.match(span)
            if m and m.group(1) in classes:
                member = m.group(2)
                if not any(re.search(r"\b" + re.escape(member) + r"\b", src) for src in classes[m.group(1)]):
                    problems.append(f"line {n}: `{span}`: {m.group(1)} has no member {member}")
    return problems


def read_repo_file(path):
    f = ROOT / path
    return f.read_text(encoding="utf-8") if f.is_file() else None


class QuoteTest(unittest.TestCase):
    def test_quoted_code_exists_in_the_file_it_names(self):
        problems = []
        for doc in DOCS:
            for p in stale_quotes(doc.read_text(encoding="utf-8"), read_repo_file):
                problems.append(f"{doc.relative_to(ROOT)} {p}")
        self.assertEqual([], problems, "update the quote to the file's real line (or the file to the quote)")

    def test_named_paths_and_members_exist(self):
        classes = class_sources()
        problems = []
        for doc in DOCS:
            for p in stale_references(doc.read_text(encoding="utf-8"), doc.parent, classes):
                problems.append(f"{doc.relative_to(ROOT)} {p}")
        self.assertEqual([], problems, "a document names a file or a member that is not there")

    def test_the_lessons_quote_the_textbook_lstm(self):
        lesson = (ROOT / "notebooks/src/05-lstm-architecture.md").read_text(encoding="utf-8")
        quoted = [path for _, path, _ in quote_blocks(lesson.splitlines())]
        self.assertIn("lib/src/main/java/org/rnnlab/textbook/TextbookLstmCell.java", quoted)

    def test_a_stale_quote_is_caught(self):
        doc = "<!-- quotes: A.java -->\n| arrow | `f = sigmoid(z);` |\n| other | `h = o * c;` |\n"
        files = {"A.java": "double[] f = sigmoid(z);\nh = o * tanh(c);\n"}
        problems = stale_quotes(doc, files.get)
        self.assertEqual(1, len(problems), problems)
        self.assertIn("h = o * c;", problems[0])

    def test_a_removed_member_is_caught(self):
        classes = {"Trainer": ["public Trainer batchSize(int n) {}"]}
        problems = stale_references("call `Trainer.batchSize(32)` then `Trainer.fit(task, 4, 5, 6)`",
                                    ROOT, classes)
        self.assertEqual(["line 1: `Trainer.fit(task, 4, 5, 6)`: Trainer has no member fit"], problems)


if __name__ == "__main__":
    unittest.main()
