"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) against the installed Java kernel."""
import time
import unittest

import jupyter_kernel_test
from jupyter_kernel_test.msgspec_v5 import validate_message

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

    def execute_helper(self, code, timeout=jupyter_kernel_test.TIMEOUT, silent=False, store_history=True,
                       stop_on_error=True):
        """jupyter_kernel_test's helper with the same checks (the reply; then on IOPub busy, the input, the
        outputs, idle, each validated), except that the IOPub messages may take up to TIMEOUT seconds in all.
        The original gives each IOPub message 0.1 s after the one before, so on a machine whose two cores are both
        busy (./rnnlab test runs two pytest workers) a kernel whose 'idle' came 0.1 s after its reply failed
        test_clear_output with queue.Empty, every message being right."""
        msg_id = self.kc.execute(code=code, silent=silent, store_history=store_history, stop_on_error=stop_on_error)
        reply = self.get_non_kernel_info_reply(timeout=timeout)
        assert reply is not None
        validate_message(reply, "execute_reply", msg_id)
        deadline = time.monotonic() + timeout

        def next_iopub():
            return self.kc.iopub_channel.get_msg(timeout=max(0.1, deadline - time.monotonic()))

        busy_msg = next_iopub()
        validate_message(busy_msg, "status", msg_id)
        self.assertEqual(busy_msg["content"]["execution_state"], "busy")
        output_msgs = []
        while True:
            msg = next_iopub()
            validate_message(msg, msg["msg_type"], msg_id)
            if msg["msg_type"] == "status":
                self.assertEqual(msg["content"]["execution_state"], "idle")
                break
            if msg["msg_type"] == "execute_input":
                self.assertEqual(msg["content"]["code"], code)
                continue
            output_msgs.append(msg)
        return reply, output_msgs


if __name__ == "__main__":
    unittest.main()
