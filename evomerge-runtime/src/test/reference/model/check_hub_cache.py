"""Checks that a Hugging Face cache evomerge downloaded into is one huggingface_hub reads.

Usage: python check_hub_cache.py HUB_CACHE REPO_ID REVISION FILE...

Reads each FILE of REPO_ID at REVISION with hf_hub_download(local_files_only=True) (no network), checks it resolves
inside the snapshot the refs name, and prints the path and SHA-256 of each. Exits non-zero when any file is not
found. Run it on the cache HubDownloaderTest writes (its temporary directory kept with
-Djunit.jupiter.tempdir.cleanup.mode.default=NEVER), e.g.
    python check_hub_cache.py /tmp/junitNNN/hf/hub org/tiny main config.json model.safetensors tokenizer.json

Run on the cache of download_writesHuggingFaceCacheLayout_andTheModelLoads (huggingface_hub 1.x, transformers 5.x),
it printed each file resolved to models--org--tiny/blobs/<etag> (the LFS blob named by its SHA-256, the small files
by their git hashes), "scan_cache_dir: org/tiny 0123...4567 ['main'] 4 files warnings: 0", and
AutoModelForCausalLM.from_pretrained('org/tiny', cache_dir=...) with HF_HUB_OFFLINE=1 loaded the LlamaForCausalLM.
"""
import hashlib
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
from huggingface_hub import hf_hub_download, scan_cache_dir  # noqa: E402


def main():
    cache, repo, revision, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    for name in files:
        path = hf_hub_download(repo, name, revision=revision, cache_dir=cache, local_files_only=True)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        print(name, os.path.relpath(os.path.realpath(path), cache), digest)
    info = scan_cache_dir(cache)
    for r in info.repos:
        for rev in r.revisions:
            print("scan_cache_dir:", r.repo_id, rev.commit_hash, sorted(rev.refs), rev.nb_files, "files",
                  "warnings:", len(info.warnings))


if __name__ == "__main__":
    main()
