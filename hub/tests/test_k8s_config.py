"""hub/k8s/config.yaml, the Zero to JupyterHub values for a course, checked without a cluster: against the Helm
chart's own values schema (chart 4.4.0, vendored in hub/k8s/z2jh-4.4.0/), the way `helm install` validates values
(the user's values merged over the chart's values.yaml), and for agreement with the single-machine hub."""
import copy
import pathlib
import re
import sys
import unittest

import jsonschema
import yaml

HERE = pathlib.Path(__file__).resolve().parent
HUB = HERE.parent
ROOT = HUB.parent
CHART = HUB / "k8s" / "z2jh-4.4.0"
sys.path.insert(0, str(HUB))

import hub as hubmod  # noqa: E402


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def merged(defaults, values):
    """Helm's coalescing of a values file over the chart's values.yaml: maps merge key by key, the rest replaces."""
    out = copy.deepcopy(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class ZeroToJupyterHubConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.config = load(HUB / "k8s" / "config.yaml")
        cls.schema = load(CHART / "values.schema.yaml")
        cls.defaults = load(CHART / "values.yaml")

    def validate(self, values):
        jsonschema.Draft7Validator(self.schema).validate(merged(self.defaults, values))

    def test_the_config_is_valid_against_the_charts_values_schema(self):
        self.validate(self.config)

    def test_the_schema_check_rejects_a_misspelt_key_and_a_wrong_type(self):
        misspelt = copy.deepcopy(self.config)
        misspelt["singleuser"]["memmory"] = misspelt["singleuser"].pop("memory")
        with self.assertRaises(jsonschema.ValidationError):
            self.validate(misspelt)
        wrong_type = copy.deepcopy(self.config)
        wrong_type["cull"]["timeout"] = "an hour"
        with self.assertRaises(jsonschema.ValidationError):
            self.validate(wrong_type)

    def test_limits_and_culling_match_the_single_machine_hub(self):
        single = (HUB / "jupyterhub_config.py").read_text()
        s = self.config["singleuser"]
        self.assertEqual("1G", s["memory"]["limit"])
        self.assertIn('"RNNLAB_HUB_MEM_LIMIT", "1G"', single)
        self.assertEqual(1, s["cpu"]["limit"])
        self.assertIn('"RNNLAB_HUB_CPU_LIMIT", "1"', single)
        self.assertTrue(self.config["cull"]["enabled"])
        self.assertEqual(3600, self.config["cull"]["timeout"])
        self.assertIn('"RNNLAB_HUB_CULL_TIMEOUT", "3600"', single)
        self.assertIn("--MappingKernelManager.cull_idle_timeout=1200", self.config["hub"]["config"]["KubeSpawner"]["args"])
        self.assertIn('"RNNLAB_HUB_KERNEL_CULL_TIMEOUT", "1200"', single)

    def test_the_image_is_repo2dockers_with_the_heap_following_the_memory_limit(self):
        s = self.config["singleuser"]
        self.assertNotEqual(self.defaults["singleuser"]["image"]["name"], s["image"]["name"],
                            "the chart's sample image is replaced by the one repo2docker builds from binder/")
        self.assertTrue((ROOT / "binder" / "postBuild").is_file() and (ROOT / "binder" / "environment.yml").is_file())
        hook = " ".join(s["lifecycleHooks"]["postStart"]["exec"]["command"])
        self.assertIn(f"--heap {hubmod.HEAP_SHARE}", hook, "the same heap share as the single-machine hub")
        self.assertIn("rnnlab-kernel.jar", hook)
        lesson = re.fullmatch(r"/lab/tree/work/lessons/(.+)", s["defaultUrl"])
        self.assertIsNotNone(lesson, s["defaultUrl"])
        self.assertTrue((ROOT / "notebooks" / lesson.group(1)).is_file(), "the default URL opens a real lesson")
        self.assertIn('cp -r "$HOME/notebooks" "$HOME/work/lessons"', hook)
        self.assertEqual("/home/jovyan/work", s["storage"]["homeMountPath"],
                         "the volume leaves the image's home (lessons, ~/.m2) visible")


if __name__ == "__main__":
    unittest.main()
