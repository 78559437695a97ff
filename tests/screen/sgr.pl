#!/usr/bin/perl
# sgr.pl — read `tmux capture-pane -e -p` output on stdin and print, for each
# screen line, the attributes in force at its first character:
#   LINE<TAB>BG<TAB>REVERSE<TAB>DIM<TAB>TEXT
# BG is the background colour number (0-255) or "d" for the default colour.
# tmux emits SGR changes relative to the previous cell, also across lines,
# so the state is carried from line to line.
use strict;
use warnings;

my %st = (bg => 'd', rev => 0, dim => 0);

sub apply {
	my @p = split /;/, ($_[0] eq '' ? '0' : $_[0]);
	while (@p) {
		my $c = shift @p;
		$c = 0 if $c eq '';
		if ($c == 0) { %st = (bg => 'd', rev => 0, dim => 0); }
		elsif ($c == 2) { $st{dim} = 1; }
		elsif ($c == 22) { $st{dim} = 0; }
		elsif ($c == 7) { $st{rev} = 1; }
		elsif ($c == 27) { $st{rev} = 0; }
		elsif ($c >= 40 && $c <= 47) { $st{bg} = $c - 40; }
		elsif ($c >= 100 && $c <= 107) { $st{bg} = $c - 100 + 8; }
		elsif ($c == 49) { $st{bg} = 'd'; }
		elsif ($c == 48 || $c == 38 || $c == 58) {
			my $mode = shift @p // 0;
			my @v = $mode == 5 ? (shift @p) : $mode == 2 ? splice(@p, 0, 3) : ();
			$st{bg} = $v[0] if $c == 48 && $mode == 5;
			$st{bg} = join(',', @v) if $c == 48 && $mode == 2;
		}
	}
}

my $n = 0;
while (my $line = <STDIN>) {
	chomp $line;
	$n++;
	my ($first, $text) = (undef, '');
	while (length $line) {
		if ($line =~ s/^\e\[([0-9;:]*)m//) { apply($1); next; }
		if ($line =~ s/^\e\[[0-9;?]*[A-Za-z]// || $line =~ s/^\e[^\[]//) { next; }
		if ($line =~ s/^([^\e]+)//) {
			$first //= { %st };
			$text .= $1;
			next;
		}
		substr($line, 0, 1, '');
	}
	$first //= { %st };
	printf "%d\t%s\t%d\t%d\t%s\n", $n, $first->{bg}, $first->{rev}, $first->{dim}, $text;
}
