#!/usr/bin/env node
console.log("local bin ok")
