#!/usr/bin/perl
# One owner per table: read the C sources, find every SQL statement that
# writes a table (INSERT, REPLACE, UPDATE, DELETE in a string literal, with
# adjacent literals joined as the compiler joins them), and fail, naming
# file and table, when a table is written from more than one file, or from
# a front door (the CLI, the HTTP and USSD adapters, the SMS commands, the
# web console), which must call the table's owner instead.
#
# usage: owners.pl FILE.c...     (exit 1 and one line a problem)
use strict;
use warnings;

my %writers;	# table => { file => line }

# The text of a file's string literals, one entry per run of adjacent
# literals, with the line the run starts on.
sub literals {
	my ($src) = @_;
	my @out;
	$src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	$src =~ s{//[^\n]*}{}g;
	$src =~ s{'(?:\\.|[^'\\])'}{''}g;	# character constants
	while ($src =~ /("(?:\\.|[^"\\\n])*"(?:\s*"(?:\\.|[^"\\\n])*")*)/g) {
		my $run = $1;
		my $line = 1 + (substr($src, 0, $-[1]) =~ tr/\n//);
		my $text = join '', $run =~ /"((?:\\.|[^"\\\n])*)"/g;
		push @out, [$line, $text];
	}
	return @out;
}

for my $file (@ARGV) {
	open my $fh, '<', $file or die "owners.pl: $file: $!\n";
	my $src = do { local $/; <$fh> };
	close $fh;
	for my $lit (literals($src)) {
		my ($line, $sql) = @$lit;
		while ($sql =~ /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+([A-Za-z_]\w*)/gi) {
			my $table = lc $1;
			next if $table eq 'set';	# ON CONFLICT ... DO UPDATE SET
			$writers{$table}{$file} //= $line;
		}
	}
}

my $bad = 0;
for my $table (sort keys %writers) {
	my @files = sort keys %{ $writers{$table} };
	for my $f (@files) {
		next unless $f =~ m{(^|/)(cli/[^/]+|http\.c|ussd_http\.c|cmd_[^/]+|console[^/]*\.c)$};
		print "$f:$writers{$table}{$f}: writes table $table, but is a " .
		    "front door: call the table's owner\n";
		$bad = 1;
	}
	next if @files < 2;
	print "table $table is written from " . scalar(@files) . " files: " .
	    join(', ', map { "$_:$writers{$table}{$_}" } @files) . "\n";
	$bad = 1;
}
exit $bad;
