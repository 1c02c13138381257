"""The nine Skytells models of seeds 000 (BeatFusion) and 004 (video), with input schemas.

The schemas are served by the models API and also drive input validation on create.
"""

from dataclasses import dataclass

MUSIC_INPUT = {
    "type": "object",
    "required": ["prompt"],
    "properties": {
        "prompt": {"type": "string", "description": "Description of the desired audio"},
        "duration_seconds": {"type": "integer", "minimum": 5, "maximum": 120, "default": 30},
        "seed": {"type": "integer", "description": "Reproducibility seed"},
        "bpm": {"type": "integer", "description": "Beats per minute"},
        "key": {"type": "string", "description": 'Musical key, e.g. "C major"'},
        "lyrics": {"type": "string"},
    },
}

VIDEO_INPUT = {
    "type": "object",
    "required": ["prompt"],
    "properties": {
        "prompt": {"type": "string", "description": "Describe the video"},
        # Seed 004 says "3-30 depending on model" without the per-model ranges: 3-30 for all.
        "duration_seconds": {"type": "integer", "minimum": 3, "maximum": 30, "default": 5},
        "aspect_ratio": {"type": "string", "enum": ["16:9", "9:16", "1:1", "4:3"]},
        "fps": {"type": "integer", "enum": [24, 30]},
        "negative_prompt": {"type": "string"},
    },
}

URL_LIST_OUTPUT = {"type": "array", "items": {"type": "string", "format": "uri"}}


@dataclass(frozen=True)
class Model:
    slug: str
    name: str
    kind: str  # the models API `type`
    price_usd: float
    description: str
    input_schema: dict

    @property
    def makes_audio(self):
        return self.kind == "music"

    def to_json(self, with_schemas):
        model = {"name": self.name, "namespace": self.slug, "description": self.description,
                 "type": self.kind, "privacy": "public", "billable": True,
                 "pricing": {"amount": self.price_usd, "currency": "USD", "unit": "prediction"},
                 "status": "active"}
        if "input_schema" in with_schemas:
            model["input_schema"] = self.input_schema
        if "output_schema" in with_schemas:
            model["output_schema"] = URL_LIST_OUTPUT
        return model


MODELS = {model.slug: model for model in (
    Model("beatfusion-2.0", "BeatFusion 2.0", "music", 0.75,
          "High quality music for production use.", MUSIC_INPUT),
    Model("beatfusion-1.0", "BeatFusion 1.0", "music", 0.45,
          "Standard quality for prototyping and ambient audio.", MUSIC_INPUT),
    Model("truefusion-video-pro", "TrueFusion Video Pro", "video", 1.50,
          "Best Skytells quality (about 60 s).", VIDEO_INPUT),
    Model("truefusion-video", "TrueFusion Video", "video", 0.80,
          "Standard, faster (about 45 s).", VIDEO_INPUT),
    Model("mera", "Mera", "video", 2.00, "Cinematic quality (2-5 min).", VIDEO_INPUT),
    Model("lumo", "Lumo", "video", 1.20, "Artistic and stylized (about 60 s).", VIDEO_INPUT),
    Model("lipfusion", "LipFusion", "video", 0.60, "Lip-sync from face and audio (30-60 s).",
          VIDEO_INPUT),
    Model("veo-3.1", "Veo 3.1", "video", 3.00, "Google Veo quality (2-4 min).", VIDEO_INPUT),
    Model("sora-2", "Sora 2", "video", 2.50, "OpenAI Sora style (2-3 min).", VIDEO_INPUT),
)}


def _type_ok(kind, value):
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return True


def validate(schema, values):
    """Problems with `values` against the small JSON-schema subset used above."""
    problems = [f"{name} is required" for name in schema["required"] if name not in values]
    for name, value in values.items():
        spec = schema["properties"].get(name)
        if spec is None:
            continue  # unknown inputs are ignored, as most model APIs do
        if not _type_ok(spec["type"], value):
            problems.append(f"{name} must be of type {spec['type']}")
        elif "enum" in spec and value not in spec["enum"]:
            problems.append(f"{name} must be one of {spec['enum']}")
        elif "minimum" in spec and not spec["minimum"] <= value <= spec["maximum"]:
            problems.append(f"{name} must be between {spec['minimum']} and {spec['maximum']}")
    return problems
