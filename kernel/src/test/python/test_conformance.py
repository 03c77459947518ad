"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) against the installed Java kernel."""
import unittest

import jupyter_kernel_test

from kernel_helpers import KERNEL_NAME


class JavaKernelConformanceTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("this goes to stderr");'

    completion_samples = [
        {"text": "Math.sqr", "matches": {"sqrt("}},
        {"text": "String.valueO", "matches": {"valueOf("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "for (int i = 0; i < 3; i++) { }", "%lsmagic"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int twice(int a) {", "String s = \"a\" +"]
    invalid_code_samples = ["int x = ;", "} }", "return 1 +;"]

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": "\"abc\".toUpperCase()", "result": "ABC"},
    ]

    code_display_data = [
        {"code": 'display("<b>bold</b>", "text/html");', "mime": "text/html"},
        {"code": 'display("plain words");', "mime": "text/plain"},
    ]

    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
