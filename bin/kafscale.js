#!/usr/bin/env node
// The kafscale command: runs the compiled CLI (npm ci builds it through the prepare script).
import '../dist/lib/cli/kafscale.js';
