"""Class loading as a student meets it: a fresh kernel, the project's library by %maven, then a chart and a
table inline with nothing on stderr. Runs a notebook through nbclient, as the notebook tests and graders do.

Needs org.rnnlab:rnnlab-lib:0.1.0 in the local Maven repository (`mvn -B install` at the top level).
"""
import os
import unittest

import nbformat
from nbclient import NotebookClient

from kernel_helpers import KERNEL_NAME, png_size

LIB_DIR = os.path.expanduser("~/.m2/repository/org/rnnlab/rnnlab-lib/0.1.0")

CELLS = [
    "%maven org.rnnlab:rnnlab-lib:0.1.0",
    "import org.knowm.xchart.*;\n"
    "double[] epochs = {1, 2, 3, 4};\n"
    "double[] loss = {1.2, 0.7, 0.45, 0.3};\n"
    "XYChart chart = QuickChart.getChart(\"Training loss\", \"epoch\", \"loss\", \"loss\", epochs, loss);\n"
    "chart",
    "import tech.tablesaw.api.*;\n"
    "Table history = Table.create(\"history\", DoubleColumn.create(\"epoch\", epochs), DoubleColumn.create(\"loss\", loss));\n"
    "history",
    "var m = new org.ejml.data.DMatrixRMaj(new double[][]{{1, 0}, {0, 1}});\nm",
]


class StudentClassLoadingTests(unittest.TestCase):

    def test_project_library_by_maven_then_chart_and_table_inline_with_empty_stderr(self):
        self.assertTrue(os.path.isdir(LIB_DIR),
                        f"{LIB_DIR} is missing: run 'mvn -B install' at the top level before the kernel tests")
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
        NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=300, allow_errors=False).execute()
        outputs = [o for cell in nb.cells for o in cell.outputs]
        stderr = [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        self.assertEqual(stderr, [], "stderr must stay empty")
        self.assertEqual([o for o in outputs if o.output_type == "error"], [])
        chart = nb.cells[1].outputs[-1]
        self.assertEqual(chart.output_type, "execute_result")
        width, height = png_size(chart.data["image/png"])
        self.assertGreater(width, 0)
        self.assertGreater(height, 0)
        table = nb.cells[2].outputs[-1]
        self.assertIn("<table", table.data["text/html"])
        self.assertIn("4 rows", table.data["text/html"])
        matrix = nb.cells[3].outputs[-1]
        self.assertIn("text/html", matrix.data)
        self.assertIn("text/plain", matrix.data)

    def test_progress_bar_fed_by_the_trainer_as_the_kernel_readme_shows_ends_full(self):
        self.assertTrue(os.path.isdir(LIB_DIR),
                        f"{LIB_DIR} is missing: run 'mvn -B install' at the top level before the kernel tests")
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src) for src in (
            "%maven org.rnnlab:rnnlab-lib:0.1.0",
            "import org.rnnlab.data.*;\nimport org.rnnlab.model.*;\nimport org.rnnlab.train.*;\n"
            "var task = new DelayTask(4, 2, 16);\n"
            "var model = SequenceModel.builder(4).rnn(8).output(4, Loss.CROSS_ENTROPY).seed(1).build();\n"
            "var trainer = new Trainer(model).optimizer(Optimizer.adam(0.02));\n"
            "int updates = 60;",
            # the two lines of the example in kernel/README.md ("Use"), then 60 batches of one update each
            "var bar = progress(\"training\", updates);\n"
            "trainer.onStep(s -> bar.update(s.step() + 1, \"loss \" + s.loss()));\n"
            "var history = new History();\n"
            "var rng = new Random(7);\n"
            "for (int i = 0; i < updates; i++) trainer.train(task.batch(32, rng), history, 0);\n"
            "history.size()")]
        NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=300, allow_errors=False).execute()
        outputs = nb.cells[2].outputs
        bars = [o for o in outputs if o.output_type == "display_data"]
        self.assertEqual(len(bars), 1, outputs)
        self.assertRegex(bars[0].data["text/plain"], r"^training \[#{30}\] 60/60  loss \d")
        self.assertEqual(outputs[-1].data["text/plain"], "60")


if __name__ == "__main__":
    unittest.main()
