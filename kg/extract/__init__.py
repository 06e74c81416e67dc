"""Stage 2, extraction: the spaCy pipeline of iokg's own components finds mentions (places, organisations,
quantities, platforms, cues), and the extractor turns them into networks with their facts, stance and
tactics. `files.extract_paths` is the entry point ingest and the CLI call.
"""
