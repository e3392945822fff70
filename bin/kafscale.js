#!/usr/bin/env -S node --max-semi-space-size=64 --initial-old-space-size=256
// The kafscale command: runs the compiled CLI (npm ci builds it through the prepare script).
import '../dist/lib/cli/kafscale.js';
