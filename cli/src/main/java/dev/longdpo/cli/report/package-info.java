/** Reports of evaluated models: the text table, report.json, report.html and plots. */
package dev.longdpo.cli.report;
