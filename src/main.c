#include <stdio.h>
int main(void) { puts("kpidesk"); return 0; }
