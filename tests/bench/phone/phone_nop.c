/* The baseline of phone_bench: a C program that starts and ends. */
int main(void)
{
	return 0;
}
